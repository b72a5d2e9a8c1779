BEGIN
{
	self->a["k"] = 3;
	self->a["j"] = 4;
	self->a["k"] = 0;
	printf("%d %d\n", self->a["k"], self->a["j"]);
	exit(0);
}
