BEGIN
{
	@s["a", 1] = sum(2);
	@s["b", 2] = sum(1);
	printa("%s/%d=%@d\n", @s);
	exit(0);
}
