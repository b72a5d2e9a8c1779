BEGIN
{
	self->x = 5;
	self->x = 0;
	self->s = "gone";
	printf("%d %d\n", self->x, self->y);
	exit(0);
}
