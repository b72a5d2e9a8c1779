BEGIN
{
	this->p = (int *)alloca(8);
	this->p[0] = 7;
	this->p[1] = 9;
	printf("%d %d %d\n", this->p[0], this->p[1], *(this->p + 1));
	exit(0);
}
