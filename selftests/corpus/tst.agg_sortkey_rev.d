#pragma D option aggsortkey
#pragma D option aggsortrev

BEGIN
{
	@s["a"] = sum(2);
	@s["c"] = sum(3);
	@s["b"] = sum(1);
	printa("%s %@d\n", @s);
	exit(0);
}
