BEGIN
{
	printf("[%3c][%-3c][%c]\n", 'a', 'b', 65);
	exit(0);
}
