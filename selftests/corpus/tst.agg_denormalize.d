BEGIN
{
	@s = sum(100);
	normalize(@s, 10);
	denormalize(@s);
	exit(0);
}
