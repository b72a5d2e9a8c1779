BEGIN
{
	name = "ktrace";
}

BEGIN
/name == "ktrace"/
{
	printf("match\n");
}

BEGIN
/name != "ktrace"/
{
	printf("no match\n");
}

BEGIN
{
	exit(0);
}
