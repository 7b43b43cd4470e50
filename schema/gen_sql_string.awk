# gen_sql_string.awk — embeds schema/trace.sql as the C string trace_schema_sql.
BEGIN { print "/* Generated from schema/trace.sql: do not edit. */"; print "const char trace_schema_sql[] =" }
{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); printf "    \"%s\\n\"\n", $0 }
END { print "    ;" }
