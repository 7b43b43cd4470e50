-- The rrdb trace schema: one SQLite file per recording.
--
-- A trace is the ordered stream of everything nondeterministic a recorded
-- program observed, plus what is needed to rebuild its address space without
-- the live file system. Any SQLite tool can read it; the views at the end give
-- the friendly names rr-query uses. Format changes bump meta.format_version.
-- @EVENT_SYSCALL@ and the like are the event kinds of libtrace/trace_event.h
-- (the numbers listed at table `event`), put in when the build embeds this file.

-- Key/value facts about the recording: format, format_version, command line,
-- cwd, kernel, cpu, start time, and how the recording ended.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Every task (thread) the recording saw, by its recorded tid.
CREATE TABLE task (
  tid          INTEGER PRIMARY KEY,
  pid          INTEGER NOT NULL,          -- thread group id
  ppid         INTEGER,
  first_seq    INTEGER NOT NULL,
  last_seq     INTEGER,
  command      TEXT,
  exit_kind    TEXT,                      -- 'exited' | 'killed' | NULL while alive
  exit_value   INTEGER                    -- exit status or signal number
);

-- Content-addressed, lz4-compressed byte strings: memory written by the kernel,
-- snapshots of mapped files and initial address-space contents. `hash` is a
-- 64-bit content hash; identical contents are stored once.
CREATE TABLE blob (
  id        INTEGER PRIMARY KEY,
  hash      INTEGER NOT NULL,
  raw_size  INTEGER NOT NULL,
  lz4       BLOB NOT NULL,                -- raw bytes when lz4 would not shrink them (lz4_size = raw_size)
  lz4_size  INTEGER NOT NULL
);
CREATE UNIQUE INDEX blob_by_hash ON blob(hash, raw_size, id);

-- The event stream in global order. kind:
--   1 syscall   sysno, args, result; regs = registers at syscall entry;
--               sig_code = 1 when a seccomp filter of the program answered it
--               (ERRNO, TRAP, TRACE without a tracer): the kernel did not
--               run it, and replay does not either (0: the kernel ran it);
--               2 when a filter's KILL, 3 when strict mode killed the task
--               in it (recorded at its entry; its exit event follows)
--   2 signal    signo, sig_code; sync=1 when the program's own instruction
--               raised it (a fault), 0 when it was delivered at the syscall
--               boundary after the previous event; regs at the delivery stop
--   3 rdtsc     result = tsc value, arg0 = TSC_AUX (rdtscp) or -1
--   4 cpuid     arg0/arg1 = leaf/subleaf, arg2..arg5 = eax, ebx, ecx, edx returned
--   5 exec      an execve that succeeded; the new address space is in `mapping`.
--               When the thread that called it was not its process's leader,
--               it took over the leader's tid (the leader ended, with no exit
--               event): the event's tid is the thread's, its task row ends
--               there, and its next events are under the leader's tid
--   6 exit      the task ended: result = exit status, signo = killing signal
--   7 landmark  a preemption point without a syscall: regs; result holds a hash
--               of the stack near rsp
--   8 enter     a syscall entered (sysno, args, regs at entry) whose completion
--               is a later event of the task: other tasks ran in between
--   9 tracee_stop   nested tracing (the task is traced by a recorded process,
--               its inner tracer): the task stopped where that tracer sees it
--               stop, and stays stopped until the tracer resumes it. result =
--               the wait status the tracer is given; sig_code = where: 1 syscall
--               entry (sysno; sync=1 when the syscall is skipped, PTRACE_SYSEMU),
--               2 syscall exit, 3 signal (signo; extra = siginfo), 4 ptrace event
--               (arg0 = PTRACE_EVENT_*, arg1 = its message), 5 group stop (signo);
--               arg2 = 1 when the tracer's single step (PTRACE_SINGLESTEP,
--               SYSEMU_SINGLESTEP) brought it there; regs at the stop
--  10 tracer_write  nested tracing: the inner tracer changed the stopped task.
--               sig_code = what: 1 registers (regs), 2 memory (mem_write rows),
--               3 a register set (arg0 = NT_* type, extra = its bytes), 4 a word
--               of struct user (arg0 = offset, arg1 = value: debug registers),
--               5 siginfo (extra)
--  11 shared_memory  memory the task's process shares (MAP_SHARED, SysV shm)
--               was changed by another process or by the kernel (a write() to
--               the mapped file) while the task was not running user code:
--               the new bytes are the event's mem_write rows, written in
--               before the task runs on
CREATE TABLE event (
  seq        INTEGER PRIMARY KEY,
  tid        INTEGER NOT NULL,
  kind       INTEGER NOT NULL,
  sysno      INTEGER,
  arg0 INTEGER, arg1 INTEGER, arg2 INTEGER, arg3 INTEGER, arg4 INTEGER, arg5 INTEGER,
  result     INTEGER,
  signo      INTEGER,
  sig_code   INTEGER,
  sync       INTEGER,
  ip         INTEGER,
  regs       BLOB,                        -- compact register delta, libtrace/regs_codec.c
  extra      INTEGER,                     -- blob id: siginfo, exec register state
  data_hash  INTEGER,                     -- write-like syscalls: hash of the bytes written
  at_ms      INTEGER                      -- when it was written: ms since the trace was created
                                          -- (coarse clock; for people and the replay watchdog,
                                          -- never compared)
);
CREATE INDEX event_by_tid  ON event(tid, seq);
CREATE INDEX event_by_sysno ON event(sysno, seq) WHERE kind = @EVENT_SYSCALL@;
CREATE INDEX event_by_kind ON event(kind, seq);

-- Memory the kernel wrote into a task during an event (at most 1 MiB a row).
CREATE TABLE mem_write (
  seq      INTEGER NOT NULL,
  addr     INTEGER NOT NULL,
  len      INTEGER NOT NULL,
  blob     INTEGER NOT NULL REFERENCES blob(id)
);
CREATE INDEX mem_write_by_seq  ON mem_write(seq);
CREATE INDEX mem_write_by_addr ON mem_write(addr);

-- Memory the program handed to the kernel that the trace keeps for people and
-- rr-query, though replay does not need it: the path strings of syscalls
-- (open, stat, unlink, …) and the structs of `in:` argument kinds (connect's
-- address, nanosleep's time: schema/README.md), read at the syscall's entry.
CREATE TABLE mem_read (
  seq      INTEGER NOT NULL,
  addr     INTEGER NOT NULL,
  len      INTEGER NOT NULL,
  blob     INTEGER NOT NULL REFERENCES blob(id)
);
CREATE INDEX mem_read_by_seq ON mem_read(seq);

-- Bytes a syscall moved from a file to the recorder's stdout or stderr without
-- passing through the program's memory (copy_file_range, sendfile), so that
-- rr-replay can show them; in pieces of at most 1 MiB, in order.
CREATE TABLE passed_output (
  seq      INTEGER NOT NULL,
  blob     INTEGER NOT NULL REFERENCES blob(id)
);
CREATE INDEX passed_output_by_seq ON passed_output(seq);

-- What the program wrote to the recorder's own stdout (stream 1) and stderr
-- (2), in the order the kernel took it: after each event that wrote there,
-- the bytes that output had received so far (`total`) and the content hash
-- of all of them, in order (`hash`). rr-replay keeps the same tally over what
-- it shows and reports the first event where they part. When the recorder's
-- stdout and stderr were one open file description, meta.stderr_is_stdout is
-- 1 and both are stream 1.
CREATE TABLE output (
  seq      INTEGER PRIMARY KEY,
  stream   INTEGER NOT NULL,
  total    INTEGER NOT NULL,
  hash     INTEGER NOT NULL
);

-- Memory mappings created by an event: the whole address space after an exec
-- (one row per mapping), or the mapping an mmap/mremap/brk made. `blob` holds
-- the mapping's contents at that moment when they are not all zero.
CREATE TABLE mapping (
  seq      INTEGER NOT NULL,
  start    INTEGER NOT NULL,
  end      INTEGER NOT NULL,
  prot     INTEGER NOT NULL,              -- PROT_* bits
  flags    INTEGER NOT NULL,              -- MAP_* bits (MAP_PRIVATE or MAP_SHARED, …)
  offset   INTEGER NOT NULL,
  path     TEXT,                          -- file name, [stack], [heap], or NULL
  blob     INTEGER REFERENCES blob(id)
);
CREATE INDEX mapping_by_seq  ON mapping(seq);
CREATE INDEX mapping_by_addr ON mapping(start);

-- The syscall description table the recording was made with (schema/syscalls.tsv).
-- Readers take a trace's syscall facts from here, not from their own build.
-- result and effects are new in format version 2: a version-1 trace lacks
-- them, and readers then take them from their own build's row of that name.
CREATE TABLE syscall_info (
  nr      INTEGER PRIMARY KEY,
  name    TEXT NOT NULL,
  replay  TEXT NOT NULL,
  writes  TEXT NOT NULL,
  args    TEXT NOT NULL,
  result  TEXT NOT NULL,                 -- int, bytes, pid, fd, addr
  effects TEXT NOT NULL                  -- e.g. sends(a1);at_offset(a3), or -
);

-- The integrity chain (format version 4). Each transaction the recorder
-- commits adds one row: the highest rowid each append-only table had reached
-- by then (the batch holds the rows above the previous batch's marks), and a
-- content hash over every column of those rows, table by table in rowid
-- order, chained to the previous batch's hash (libtrace/trace_batch.c). The
-- end is sealed the same way: meta.seal is a hash over the last batch's
-- hash, every other meta row and the task table, written in the last
-- transaction; a trace without it was cut short (the recorder was killed).
CREATE TABLE batch (
  id            INTEGER PRIMARY KEY,      -- 1, 2, … in commit order
  event         INTEGER NOT NULL,         -- highest rowid (event: seq) reached in each table
  mem_write     INTEGER NOT NULL,
  mem_read      INTEGER NOT NULL,
  passed_output INTEGER NOT NULL,
  output        INTEGER NOT NULL,
  mapping       INTEGER NOT NULL,
  blob          INTEGER NOT NULL,
  syscall_info  INTEGER NOT NULL,
  hash          INTEGER NOT NULL
);

CREATE VIEW events AS
  SELECT seq, tid,
         CASE kind WHEN @EVENT_SYSCALL@ THEN 'syscall' WHEN @EVENT_SIGNAL@ THEN 'signal'
                   WHEN @EVENT_RDTSC@ THEN 'rdtsc' WHEN @EVENT_CPUID@ THEN 'cpuid'
                   WHEN @EVENT_EXEC@ THEN 'exec' WHEN @EVENT_EXIT@ THEN 'exit'
                   WHEN @EVENT_LANDMARK@ THEN 'landmark' WHEN @EVENT_ENTER@ THEN 'enter'
                   WHEN @EVENT_TRACEE_STOP@ THEN 'tracee_stop'
                   WHEN @EVENT_TRACER_WRITE@ THEN 'tracer_write'
                   WHEN @EVENT_SHARED_MEMORY@ THEN 'shared_memory' END AS kind,
         sysno, result, signo, ip
  FROM event;
CREATE VIEW syscalls AS
  SELECT e.seq, e.tid, e.sysno, s.name, e.arg0, e.arg1, e.arg2, e.arg3, e.arg4, e.arg5,
         e.result, e.ip
  FROM event e LEFT JOIN syscall_info s ON s.nr = e.sysno
  WHERE e.kind = @EVENT_SYSCALL@;
CREATE VIEW signals AS
  SELECT seq, tid, signo, sig_code, sync, ip FROM event WHERE kind = @EVENT_SIGNAL@;
CREATE VIEW mmaps AS
  SELECT seq, start, end, end - start AS length, prot, flags, offset, path FROM mapping;
CREATE VIEW tasks AS
  SELECT tid, pid, ppid, command, first_seq, last_seq, exit_kind, exit_value FROM task;
CREATE VIEW writes AS
  SELECT w.seq, e.tid, w.addr, w.len FROM mem_write w JOIN event e ON e.seq = w.seq;
