BEGIN
{
	this->v = 42;
	this->s = "shared";
}

BEGIN
{
	printf("%d %s\n", this->v, this->s);
}

tick-1ms
/n++ == 0/
{
	printf("%d\n", this->v);
	exit(0);
}
