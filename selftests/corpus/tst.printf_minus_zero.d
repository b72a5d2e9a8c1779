/* DTrace: a 0 flag after - turns left-justification off again */
BEGIN
{
	printf("[%-05d][%0-5d|]\n", 42, 42);
	exit(0);
}
