#pragma D option aggsortrev

BEGIN
{
	@s["a"] = sum(2);
	@s["b"] = sum(3);
	@s["c"] = sum(1);
	printa("%s %@d\n", @s);
	exit(0);
}
