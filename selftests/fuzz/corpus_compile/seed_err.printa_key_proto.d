BEGIN
{
	@a[pid] = count();
	printa("%s %@d\n", @a);
}
