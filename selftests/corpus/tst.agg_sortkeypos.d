#pragma D option aggsortkey
#pragma D option aggsortkeypos=1

BEGIN
{
	@s["x", 2] = sum(1);
	@s["y", 1] = sum(1);
	@s["a", 3] = sum(1);
	printa("%s %d\n", @s);
	exit(0);
}
