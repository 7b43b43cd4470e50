# gen_syscall_table.awk — turns schema/syscalls.tsv and schema/ioctls.tsv into
# the C rows libtrace/syscall_table.c parses. Usage:
#   awk -f gen_syscall_table.awk syscalls.tsv ioctls.tsv > syscall_table_data.c
BEGIN {
    FS = "\t"
    print "/* Generated from schema/syscalls.tsv and schema/ioctls.tsv: do not edit. */"
    print "#include <errno.h>"
    print "#include <stddef.h>"
    print "#include \"syscall_table.h\""
    print "const struct syscall_row syscall_rows[] = {"
}
FNR == 1 { file++ }
/^#/ || NF == 0 { next }
file == 1 {
    if (NF != 7) { printf "%s:%d: expected 7 columns\n", FILENAME, FNR > "/dev/stderr"; exit 1 }
    if ($6 !~ /^(int|bytes|pid|fd|addr)$/) {
        printf "%s:%d: result must be int, bytes, pid, fd or addr\n", FILENAME, FNR > "/dev/stderr"; exit 1
    }
    printf "    {%d, \"%s\", \"%s\", \"%s\", \"%s\", \"%s\", \"%s\"},\n", $1, $2, $3, $4, $5, $6, $7
    syscalls++
    next
}
file == 2 {
    if (!ioctl_started) {
        print "};"
        printf "const size_t syscall_row_count = %d;\n", syscalls
        print "const struct ioctl_desc ioctl_rows[] = {"
        ioctl_started = 1
    }
    if (NF != 3 && NF != 4) { printf "%s:%d: expected 3 or 4 columns\n", FILENAME, FNR > "/dev/stderr"; exit 1 }
    first = $1; last = $1
    if (split($1, range, "-") == 2) { first = range[1]; last = range[2] }
    answer = NF == 4 && $4 != "-" ? $4 : "0"
    if (answer != "0" && answer !~ /^E[A-Z0-9]+$/) {
        printf "%s:%d: answer must be - or an errno name\n", FILENAME, FNR > "/dev/stderr"; exit 1
    }
    printf "    {%sul, %sul, \"%s\", %d, %s},\n", first, last, $2, $3, answer
    ioctls++
}
END {
    print "};"
    printf "const size_t ioctl_row_count = %d;\n", ioctls
}
