BEGIN
{
	printf("[%.*s][%*.*d][%-*d|]\n", 2, "abcdef", 6, 4, 42, 4, 1);
	exit(0);
}
