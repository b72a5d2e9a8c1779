BEGIN
{
	printf("%o %#o %5o %-5o|\n", 8, 8, 64, 7);
	exit(0);
}
