BEGIN
{
	@s = sum(10);
	@s = sum(32);
	exit(0);
}
