BEGIN
{
	printf("%s\n", strtok("a,b;;c", ",;"));
	printf("%s\n", strtok(NULL, ",;"));
	printf("%s\n", strtok(NULL, ",;"));
	/* the next token starts at the delimiter that ended the last one */
	printf("%s\n", strtok("xAyMz", "A"));
	printf("%s\n", strtok(NULL, "M"));
	printf("%s\n", strtok(NULL, "A"));
	printf("%d\n", strtok(NULL, "A") == NULL);
	exit(0);
}
