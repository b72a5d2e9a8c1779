/* string + n and n + string: the string from its n-th byte (DTrace) */
#pragma D option strsize=8

BEGIN
{
	g = "abcdefghij";	/* held as "abcdefgh" */
	printf("|%s|%s|\n", g + 1, 2 + g);
	this->l = "12";
	printf("|%s|%s|\n", this->l + 1, this->l + 2);
	self->t = execname;
	printf("%d\n", self->t + 1 == execname + 1);
	a[1234] = "xyz";
	printf("|%s|%s|\n", a[1234] + 1, "lit" + 1);
	exit(0);
}
