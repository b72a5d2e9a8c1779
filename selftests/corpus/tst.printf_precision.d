BEGIN
{
	printf("[%.3s][%10.2s][%-6.1s][%.0s]\n", "abcdef", "xyz", "hello", "gone");
	exit(0);
}
