END
{
	printa(@nosuch);
}
