BEGIN
{
	this->y = 3;
	printf("%d\n", this->y * 2);
	exit(0);
}
