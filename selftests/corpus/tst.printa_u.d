BEGIN
{
	@c["a"] = count();
	printa("%-4s %@u|\n", @c);
	exit(0);
}
