BEGIN
{
	printf("%d %d %d %d\n", (char)127, (short)-32768, (int)-2147483648,
	    (long)9223372036854775807);
	printf("%d %u\n", (long)-9223372036854775807 - 1, (unsigned long)18446744073709551615);
	exit(0);
}
