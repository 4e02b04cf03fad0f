#!/usr/bin/env bash
# Regenerates the PLINK 2 and VCF/BCF files with independent tools (Debian packages plink2
# 2.00a3.5, bcftools and tabix 1.16): limix/io/_examples/data.pgen/.pvar/.psam and
# data.vcf.gz (the documentation's tiny PLINK 1 example, converted); in tests/limix/io/data,
# chromosome 6 of the example data set converted from PLINK 1 (chr6.pgen, chr6.vcf.gz,
# chr6.bcf), and dosage.pgen from the hand-written dosage.vcf.gz (its biallelic records: that
# plink2 build cannot import multi-allelic dosages).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../../../limix/io/_examples"
plink2 --bfile data --make-pgen --out data > /dev/null
plink2 --bfile data --export vcf bgz id-paste=iid --out data > /dev/null
tabix -f -p vcf data.vcf.gz
rm -f ./*.log
example="$here/../../../limix/_example_data/example"
cd "$here/data"
plink2 --bfile "$example" --chr 6 --make-pgen --out chr6 > /dev/null
plink2 --bfile "$example" --chr 6 --export vcf bgz id-paste=iid --out chr6 > /dev/null
tabix -f -p vcf chr6.vcf.gz
bcftools view -Ob -o chr6.bcf chr6.vcf.gz && bcftools index -f chr6.bcf
bcftools view -m2 -M2 -Oz -o biallelic.tmp.vcf.gz dosage.vcf.gz
plink2 --vcf biallelic.tmp.vcf.gz dosage=DS --make-pgen --out dosage > /dev/null
rm -f biallelic.tmp.vcf.gz ./*.log
# a GCTA GRM and the same matrix as text, by plink2, of the first 60 samples on chromosome 6
awk 'NR<=60{print $1"\t"$2}' "$example.fam" > grm_keep.txt
plink2 --bfile "$example" --chr 6 --keep grm_keep.txt --make-grm-bin --out plink2 > /dev/null
plink2 --bfile "$example" --chr 6 --keep grm_keep.txt --make-rel square --out plink2 > /dev/null
rm -f ./*.log
