BEGIN
{
	for (i = 0; i < 4; i++) {
		if (i == 0)
			printf("zero ");
		else if (i == 1)
			printf("one ");
		else if (i == 2) {
			printf("two ");
		} else
			printf("many\n");
	}
	exit(0);
}
