# gen_sql_string.awk — embeds schema/trace.sql as the C string trace_schema_sql.
# An event kind written @EVENT_NAME@ becomes the C string macro SQL_EVENT_NAME
# of trace_event.h, so the schema and the code name the kinds in one place.
BEGIN {
    print "/* Generated from schema/trace.sql: do not edit. */"
    print "#include \"trace_event.h\""
    print "const char trace_schema_sql[] ="
}
{
    gsub(/\\/, "\\\\"); gsub(/"/, "\\\"")
    if ($0 !~ /^--/)
        while (match($0, /@EVENT_[A-Z_]+@/))
            $0 = substr($0, 1, RSTART - 1) "\" SQL_" substr($0, RSTART + 1, RLENGTH - 2) " \"" substr($0, RSTART + RLENGTH)
    printf "    \"%s\\n\"\n", $0
}
END { print "    ;" }
