BEGIN
{
	@s["ab"] = sum(3);
	printa("%-6s|%@-6d|%@x\n", @s);
	exit(0);
}
