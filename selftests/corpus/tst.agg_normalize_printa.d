BEGIN
{
	@s["a"] = sum(1000);
	@s["b"] = sum(250);
	normalize(@s, 100);
	printa("%s %@d\n", @s);
	denormalize(@s);
	printa("%s %@d\n", @s);
	exit(0);
}
