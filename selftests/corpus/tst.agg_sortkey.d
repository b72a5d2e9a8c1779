#pragma D option aggsortkey

BEGIN
{
	@s["b"] = sum(1);
	@s["a"] = sum(2);
	@s["c"] = sum(0);
	printa("%s %@d\n", @s);
	exit(0);
}
