BEGIN
{
	self->x = 5;
	self->x += 2;
	printf("%d\n", self->x);
	exit(0);
}
