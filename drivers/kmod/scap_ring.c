// SPDX-License-Identifier: GPL-2.0-only
/*
 * One ring per CPU: a control page plus data pages that the kernel sees
 * through a vmap of the pages twice back to back, and user space through
 * an mmap laid out the same way, so a wrapped event is contiguous on both
 * sides (scap_kmod_api.h documents the layout).
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/topology.h>
#include <linux/version.h>

#include "scap_kmod.h"

static void ring_free_pages(struct scap_ring *r)
{
	unsigned int i;

	if (!r->pages)
		return;
	for (i = 0; i < r->npages; i++)
		if (r->pages[i])
			__free_page(r->pages[i]);
	kvfree(r->pages);
	r->pages = NULL;
}

struct scap_ring *scap_ring_alloc(int cpu, u32 size)
{
	int node = cpu_to_node(cpu);
	struct page **twice = NULL;
	struct scap_ring *r;
	unsigned int i;

	r = kzalloc_node(sizeof(*r), GFP_KERNEL, node);
	if (!r)
		return NULL;
	r->cpu = cpu;
	r->size = size;
	r->npages = size >> PAGE_SHIFT;

	r->ctrl_page = alloc_pages_node(node, GFP_KERNEL | __GFP_ZERO, 0);
	if (!r->ctrl_page)
		goto fail;
	r->ctrl = page_address(r->ctrl_page);

	r->pages = kvcalloc(r->npages, sizeof(*r->pages), GFP_KERNEL);
	if (!r->pages)
		goto fail;
	/* Rings are large: fail the open cleanly rather than wake the OOM killer. */
	for (i = 0; i < r->npages; i++) {
		r->pages[i] = alloc_pages_node(node, GFP_KERNEL | __GFP_ZERO | __GFP_NORETRY |
					       __GFP_NOWARN, 0);
		if (!r->pages[i])
			goto fail;
	}

	twice = kvcalloc(2 * r->npages, sizeof(*twice), GFP_KERNEL);
	if (!twice)
		goto fail;
	for (i = 0; i < r->npages; i++) {
		twice[i] = r->pages[i];
		twice[r->npages + i] = r->pages[i];
	}
	r->data = vmap(twice, 2 * r->npages, VM_MAP, PAGE_KERNEL);
	kvfree(twice);
	if (!r->data)
		goto fail;

	r->ctrl->buffer_bytes = size;
	r->ctrl->cpu = cpu;
	return r;

fail:
	scap_ring_free(r);
	return NULL;
}

void scap_ring_free(struct scap_ring *r)
{
	if (!r)
		return;
	if (r->data)
		vunmap(r->data);
	ring_free_pages(r);
	if (r->ctrl_page)
		__free_page(r->ctrl_page);
	kfree(r);
}

bool scap_ring_readable(const struct scap_ring *r)
{
	return READ_ONCE(r->ctrl->tail) != READ_ONCE(r->ctrl->head);
}

int scap_ring_mmap(struct scap_ring *r, struct vm_area_struct *vma)
{
	unsigned long len = vma->vm_end - vma->vm_start;
	unsigned long addr = vma->vm_start;
	unsigned int i;
	int err;

	if (len != SCAP_KMOD_MAP_LEN(PAGE_SIZE, r->size))
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	/* Not inherited by fork, not grown by mremap, not in core dumps. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP);
#else
	vma->vm_flags |= VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP;
#endif

	err = vm_insert_page(vma, addr, r->ctrl_page);
	if (err)
		return err;
	addr += PAGE_SIZE;
	for (i = 0; i < 2 * r->npages; i++, addr += PAGE_SIZE) {
		err = vm_insert_page(vma, addr, r->pages[i % r->npages]);
		if (err)
			return err;
	}
	return 0;
}
