BEGIN
{
	@c[strjoin("a", "b"), 1 + 1] = count();
	printa("%s %d %@d\n", @c);
	exit(0);
}
