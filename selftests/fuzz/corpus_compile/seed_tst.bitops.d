BEGIN
{
	printf("%d %d %d %d %d\n", 12 & 10, 12 | 3, 12 ^ 10, 1 << 4, 256 >> 4);
	exit(0);
}
