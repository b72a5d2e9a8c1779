BEGIN
{
	trace((char)-1); trace(" ");
	trace((short)-2); trace(" ");
	trace(-3); trace(" ");
	trace(-4L); trace(" ");
	trace((unsigned int)4294967295); trace(" ");
	trace((uint64_t)18446744073709551615);
	printf("\n");
	exit(0);
}
