#pragma D option maxloops=10

BEGIN
{
	i = 0;
	while (1)
		i++;
	printf("not reached\n");
}

ERROR
{
	printf("loop stopped\n");
}

BEGIN
{
	printf("next clause runs\n");
	exit(0);
}
