BEGIN
{
	self->s = stack();
}
