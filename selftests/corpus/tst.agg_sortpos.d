#pragma D option aggsortpos=1

BEGIN
{
	@a["x"] = sum(1);
	@b["x"] = sum(9);
	@a["y"] = sum(2);
	@b["y"] = sum(5);
	printa("%s %@d %@d\n", @a, @b);
	exit(0);
}
