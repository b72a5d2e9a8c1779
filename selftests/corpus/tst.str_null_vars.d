/*
 * A string variable holds NULL apart from "": assigned NULL (global,
 * clause-local, thread-local, associative), or the NULL strchr() returns
 * when it finds nothing.  NULL equals NULL and sorts before every string.
 */
#pragma D option quiet

string g;

BEGIN
{
	g = "x";
	g = NULL;
	this->l = "y";
	this->l = NULL;
	self->t = strchr("abc", 'z');
	a[1] = strstr("abc", "zz");
	e = "";
	printf("%d %d %d %d\n", g == NULL, this->l == NULL, self->t == NULL, a[1] == NULL);
	printf("%d %d %d\n", g == this->l, g == self->t, e == NULL);
	printf("%d %d %d %d\n", g < e, e > g, g <= g, g != e);
	g = "back";
	printf("%s %d\n", g, g != NULL);
	exit(0);
}
