BEGIN
{
	printf("%-10s|%5d|\n", "name", 12);
	printf("%-10s|%5d|\n", "longername", 12345);
	exit(0);
}
