BEGIN
{
	trace(42);
	trace("x");
	printf("\n");
	exit(0);
}
