# gen_constants.awk — turns schema/constants.tsv into the C rows
# libtrace/named_constants.c looks names up in. Usage:
#   awk -f gen_constants.awk constants.tsv > constants_data.c
BEGIN {
    FS = "\t"
    print "/* Generated from schema/constants.tsv: do not edit. */"
    print "#include <stddef.h>"
    print "#include \"named_constants.h\""
    print "const struct named_constant named_constant_rows[] = {"
}
/^#/ || NF == 0 { next }
{
    if (NF != 3) { printf "%s:%d: expected 3 columns\n", FILENAME, FNR > "/dev/stderr"; exit 1 }
    if ($2 !~ /^(0x[0-9a-fA-F]+|[0-9]+)$/) { printf "%s:%d: value must be a number\n", FILENAME, FNR > "/dev/stderr"; exit 1 }
    printf "    {\"%s\", %sll, \"%s\"},\n", $1, $2, $3
    rows++
}
END {
    print "};"
    printf "const size_t named_constant_count = %d;\n", rows
}
