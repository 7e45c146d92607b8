"""Every message the web service sends. Patients read them in Mobile JKN, so they are literal
Bahasa Indonesia (the protocol's wording where an implementation fixed one), not translated."""

from __future__ import annotations

OK = "Ok"

# Authentication
AUTH_FAILED = "Username atau Password Tidak Sesuai"
TOKEN_EXPIRED = "Token expired"
TOKEN_INVALID = "Token tidak valid"

# HTTP-level
NOT_FOUND = "Alamat Tidak Ditemukan"
BAD_REQUEST = "Permintaan Tidak Valid"
METHOD_NOT_ALLOWED = "Metode Tidak Diizinkan"
NOT_JSON = "Format Data Tidak Sesuai, Data Harus Berupa JSON"
NOT_OBJECT = "Format Data Tidak Sesuai, Data Harus Berupa Objek JSON"
TOO_LARGE = "Ukuran Data Terlalu Besar"
RATE_LIMITED = "Terlalu Banyak Permintaan, Silakan Coba Beberapa Saat Lagi"
INTERNAL = "Maaf Terjadi Kesalahan, Hubungi Administrator"

# Fields
CARD_EMPTY = "Nomor Kartu Belum Diisi"
CARD_FORMAT = "Format Nomor Kartu Tidak Sesuai, Nomor Kartu Harus 13 Digit Angka"
NIK_EMPTY = "NIK Belum Diisi"
NIK_FORMAT = "Format NIK Tidak Sesuai, NIK Harus 16 Digit Angka"
POLI_EMPTY = "Kode Poli Belum Diisi"
POLI_NOT_FOUND = "Poli Tidak Ditemukan"
DATE_EMPTY = "Tanggal Periksa Belum Diisi"
DATE_FORMAT = "Format Tanggal Tidak Sesuai, format yang benar adalah yyyy-mm-dd"
DATE_PAST = "Tanggal Periksa Tidak Berlaku Mundur"
DATE_TOO_FAR = "Tanggal Periksa Hanya Dapat Dipilih Sampai {days} Hari ke Depan"
DOCTOR_FORMAT = "Format Kode Dokter Tidak Sesuai"
HOURS_FORMAT = "Format Jam Praktek Tidak Sesuai, format yang benar adalah HH:MM-HH:MM"
DOCTOR_NOT_FOUND = "Jadwal Dokter Tidak Ditemukan Pada Poli dan Tanggal Tersebut"
HOURS_NOT_FOUND = "Jam Praktek Tidak Sesuai Dengan Jadwal Dokter"
PHONE_FORMAT = "Format Nomor HP Tidak Sesuai"
COMPLAINT_FORMAT = "Format Keluhan Tidak Sesuai"
NORM_FORMAT = "Format Nomor Rekam Medis Tidak Sesuai"
NORM_MISMATCH = "Nomor Rekam Medis Tidak Sesuai Dengan Data Pasien"
CARD_MISMATCH = "Nomor Kartu Tidak Sesuai Dengan Data Pasien"
NIK_MISMATCH = "NIK Tidak Sesuai Dengan Nomor Kartu Pasien"
REASON_FORMAT = "Format Keterangan Tidak Sesuai"

# Booking
POLI_CLOSED = "Pendaftaran ke Poli Ini Sedang Tutup"
POLI_CLOSED_TODAY = "Pendaftaran Ke {poli} Sudah Tutup Jam {time}"
NEW_PATIENT = "Pasien Baru, Silakan Melakukan Registrasi Pasien Baru Terlebih Dahulu"
DUPLICATE = "Nomor Antrean Hanya Dapat Diambil 1 Kali Pada Tanggal dan Poli Yang Sama"
QUOTA_FULL = "Kuota {poli} Pada Tanggal Tersebut Sudah Penuh, Silakan Pilih Tanggal Lain"
BUSY = "Sistem Sedang Sibuk, Silakan Coba Beberapa Saat Lagi"
BOOKED_NOTE = (
    "Silakan datang ke {poli} pada {date}, jam praktek {hours}, {doctor}. "
    "Tunjukkan nomor antrean {label} di bagian pendaftaran."
)

# Sisa / batal
BOOKING_NOT_FOUND = "Antrean Tidak Ditemukan"
ALREADY_CANCELLED = "Antrean Sudah Dibatalkan Sebelumnya"
ALREADY_SERVED = "Pasien Sudah Dilayani, Antrean Tidak Dapat Dibatalkan!"
CALLED_NOTE = "Nomor antrean Anda sedang atau sudah dipanggil"

# Pasien baru
ALREADY_REGISTERED = "Data pasien ini sudah terdaftar"
REGISTERED = "Pasien berhasil didaftarkan, silakan lanjutkan pengambilan antrean"
FIELD_EMPTY = "{field} Belum Diisi"
FIELD_FORMAT = "Format {field} Tidak Sesuai"
BIRTH_DATE_FUTURE = "Tanggal Lahir Tidak Boleh Melebihi Hari Ini"
SEX_FORMAT = "Jenis Kelamin Harus L atau P"
