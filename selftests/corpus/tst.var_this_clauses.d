BEGIN
{
	this->v = 42;
	this->s = "shared";
}

BEGIN
{
	printf("%d %s\n", this->v, this->s);
	exit(0);
}
