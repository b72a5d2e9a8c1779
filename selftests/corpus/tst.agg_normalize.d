BEGIN
{
	@s = sum(100);
	normalize(@s, 10);
	exit(0);
}
