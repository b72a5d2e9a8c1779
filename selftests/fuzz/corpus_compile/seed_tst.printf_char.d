BEGIN
{
	printf("%c%c%c\n", 'a', 'b', 'c');
	exit(0);
}
