/* SPDX-License-Identifier: GPL-2.0 */
/*
 * io.d: the io provider's arguments, bufinfo_t, devinfo_t and fileinfo_t,
 * translated from the block layer's struct request (module/prov_io.c fires
 * io:::start and io:::done with it in arg0..arg2; docs/providers.md).
 * Members Linux has no equivalent for are left out rather than invented:
 * a request has no buffer address or completion routine, and does not
 * know the file it serves (fileinfo_t says <unknown>, as DTrace does for
 * I/O without a file); io:::done's bytes and error are arg3 and arg4.
 */
#pragma D attributes Evolving/Evolving/ISA provider io provider
#pragma D attributes Private/Private/Unknown provider io module
#pragma D attributes Private/Private/Unknown provider io function
#pragma D attributes Evolving/Evolving/ISA provider io name
#pragma D attributes Evolving/Evolving/ISA provider io args

/* b_flags bits, as DTrace defines them */
inline int B_BUSY = 0x000001;
inline int B_DONE = 0x000002;
inline int B_ERROR = 0x000004;
inline int B_PAGEIO = 0x000010;
inline int B_PHYS = 0x000020;
inline int B_READ = 0x000040;
inline int B_WRITE = 0x000100;
inline int B_ASYNC = 0x000400;

/* the direction of a transfer, as DTrace's library names it (Linux's is READ or WRITE) */
typedef enum uio_rw {
	UIO_READ = 0,
	UIO_WRITE = 1
} uio_rw_t;

typedef struct bufinfo {
	int		b_flags;	/* B_READ or B_WRITE (a Linux op that writes: write, discard, ...) */
	size_t		b_bcount;	/* bytes of the request */
	uint64_t	b_blkno;	/* first 512-byte sector on the device */
	uint64_t	b_lblkno;	/* the same (Linux requests have no logical block) */
	uint64_t	b_edev;		/* the device (dev_t: major << 20 | minor), 0 if none */
} bufinfo_t;

typedef struct devinfo {
	int		dev_major;
	int		dev_minor;	/* the disk's first minor */
	int		dev_instance;	/* the same */
	char		dev_name[32];	/* the disk's name: nullb0, vda, nvme0n1 */
	char		dev_statname[32];	/* the same (as iostat shows it) */
	char		dev_pathname[64];	/* /dev/NAME */
} devinfo_t;

typedef struct fileinfo {
	char		fi_name[16];	/* <unknown> */
	char		fi_dirname[16];	/* <unknown> */
	char		fi_pathname[16];	/* <unknown> */
	int64_t		fi_offset;	/* -1 */
	char		fi_fs[16];	/* <unknown> */
	char		fi_mount[16];	/* <unknown> */
} fileinfo_t;

translator bufinfo_t < struct request *R > {
	b_flags = (R->cmd_flags & 1) ? B_WRITE : B_READ;
	b_bcount = R->__data_len;
	b_blkno = R->__sector;
	b_lblkno = R->__sector;
	b_edev = R->part ? R->part->bd_dev : 0;
};

translator devinfo_t < struct request *R > {
	dev_major = R->q->disk->major;
	dev_minor = R->q->disk->first_minor;
	dev_instance = R->q->disk->first_minor;
	dev_name = R->q->disk->disk_name;
	dev_statname = R->q->disk->disk_name;
	dev_pathname = strjoin("/dev/", R->q->disk->disk_name);
};

translator fileinfo_t < struct request *R > {
	fi_name = "<unknown>";
	fi_dirname = "<unknown>";
	fi_pathname = "<unknown>";
	fi_offset = -1;
	fi_fs = "<unknown>";
	fi_mount = "<unknown>";
};

provider io {
	probe start(struct request *b, struct request *d, struct request *f) :
	    (bufinfo_t *b, devinfo_t *d, fileinfo_t *f);
	probe done(struct request *b, struct request *d, struct request *f) :
	    (bufinfo_t *b, devinfo_t *d, fileinfo_t *f);
};
