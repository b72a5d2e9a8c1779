BEGIN
{
	x = 1;
	printf("%d %d %d %d %d %d %d %d\n", sizeof(char), sizeof(short), sizeof(int),
	    sizeof(long), sizeof(long long), sizeof(char *), sizeof(uint16_t), sizeof(x));
	exit(0);
}
