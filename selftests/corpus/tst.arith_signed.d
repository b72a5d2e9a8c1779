BEGIN
{
	printf("%d %d %d %d\n", -7 / 2, -7 % 2, 7 / -2, (unsigned)7 / 2);
	printf("%d %u\n", -8 >> 1, (unsigned)0x80000000 >> 31);
	exit(0);
}
