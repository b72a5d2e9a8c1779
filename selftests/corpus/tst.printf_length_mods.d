BEGIN
{
	printf("%ld %lld %lu %lx %llx %hd %hu\n", (long)-5, (long long)6, (unsigned long)7,
	    (long)255, (long long)4095, (short)-2, (unsigned short)65535);
	exit(0);
}
