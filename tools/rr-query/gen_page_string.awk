# gen_page_string.awk — embeds tools/rr-query/timeline.html as the C string
# timeline_page (timeline_output.c writes it around the trace's events).
BEGIN {
    print "/* Generated from tools/rr-query/timeline.html: do not edit. */"
    print "const char timeline_page[] ="
}
/\\/ { printf "%s:%d: no backslash in the page (awks differ in escaping it)\n", FILENAME, FNR > "/dev/stderr"; exit 1 }
{
    gsub(/"/, "\\\"")
    printf "    \"%s\\n\"\n", $0
}
END { print "    ;" }
