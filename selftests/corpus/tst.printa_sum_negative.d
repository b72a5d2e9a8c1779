BEGIN
{
	@s["n"] = sum(-5);
	@s["n"] = sum(3);
	printa("%s %@d\n", @s);
	exit(0);
}
