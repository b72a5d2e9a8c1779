/*
 * curpsinfo, curlwpsinfo and curcpu (user/lib/procfs.d) agree with the
 * built-ins and with what ktrace's own process reads from getpgid(),
 * getsid(), geteuid() and getegid() ($pgid...: BEGIN fires in ktrace)
 */
BEGIN
{
	printf("pid %d ppid %d uid %d gid %d lwpid %d cpu %d\n", curpsinfo->pr_pid == pid,
	    curpsinfo->pr_ppid == ppid, curpsinfo->pr_uid == uid, curpsinfo->pr_gid == gid,
	    curlwpsinfo->pr_lwpid == tid, curcpu->cpu_id == cpu);
	printf("fname %d name %d onproc %d %c nlwp %d\n",
	    curpsinfo->pr_fname == execname, curlwpsinfo->pr_name == execname,
	    curlwpsinfo->pr_state == SONPROC, curlwpsinfo->pr_sname, curpsinfo->pr_nlwp >= 1);
	printf("pgid %d sid %d euid %d egid %d\n", curpsinfo->pr_pgid == $pgid,
	    curpsinfo->pr_sid == $sid, curpsinfo->pr_euid == $euid, curpsinfo->pr_egid == $egid);
	exit(0);
}
