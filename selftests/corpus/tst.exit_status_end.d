BEGIN
{
	exit(5);
}

END
{
	printf("end runs\n");
}
