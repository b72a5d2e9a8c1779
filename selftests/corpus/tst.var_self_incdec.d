BEGIN
{
	self->n++;
	self->n++;
	self->n += 10;
	self->m--;
	printf("%d %d\n", self->n, self->m);
	exit(0);
}
